import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.choices import Role
from core.demo import county
from core.demo.generator import generate
from core.models import Network


class Command(BaseCommand):
    help = "Erzeugt einen synthetischen Landkreis mit Demodaten (deterministisch je Seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1.0 = ein Landkreis in Originalgröße"
        )
        parser.add_argument(
            "--networks", type=int, default=1, help="Anzahl Netzwerke (für Benchmarks)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="nur erzeugen, wenn noch kein Netzwerk existiert",
        )

    def handle(self, *args, seed, scale, networks, if_empty, **options):
        if scale <= 0 or networks < 1:
            raise CommandError("--scale muss größer als 0 und --networks mindestens 1 sein.")
        if Network.objects.exists():
            if if_empty:
                self.stdout.write("Datenbank enthält bereits Daten – keine Demodaten erzeugt.")
                self._print_logins()
                return
            raise CommandError(
                "Die Datenbank enthält bereits Netzwerke. "
                "Demodaten nur in eine leere Datenbank laden."
            )
        started = time.perf_counter()
        contexts = generate(seed=seed, scale=scale, networks=networks, log=self.stdout.write)
        elapsed = time.perf_counter() - started
        for ctx in contexts:
            summary = ", ".join(f"{key}={value}" for key, value in sorted(ctx.counts.items()))
            self.stdout.write(f"{ctx.network.name}: {summary}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demodaten erzeugt in {elapsed:.1f} s (Seed {seed}, Maßstab {scale})."
            )
        )
        self._print_logins()

    def _print_logins(self):
        self.stdout.write(f"\nDemo-Anmeldungen (Passwort für alle: {settings.DEMO_PASSWORD}):")
        for username, first, last, _org, role, _team in county.DEMO_LOGINS:
            self.stdout.write(f"  {username:<18} {first} {last} – {Role(role).label}")
        username, first, last, _roles = county.MULTI_ORGANISATION_LOGIN
        self.stdout.write(
            f"  {username:<18} {first} {last} – zwei Organisationen (Jobcenter und Gemeinde)"
        )
