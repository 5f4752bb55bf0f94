#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kurzewege.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load settings now so a bad environment stops here
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A bad environment is an operator error: say what is wrong, no traceback.
        sys.stderr.write(f"Konfigurationsfehler / configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
