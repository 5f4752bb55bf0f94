from django.core.management.base import BaseCommand

from core.scheduling import PERIODIC_TASKS


class Command(BaseCommand):
    help = "Reiht alle periodischen Aufgaben ein (für cron); mit --now sofort ausführen."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="im aufrufenden Prozess ausführen statt einreihen"
        )

    def handle(self, *args, now=False, **options):
        for task in PERIODIC_TASKS:
            if now:
                result = task.call()
                self.stdout.write(f"{task.name}: {result}")
            else:
                task.enqueue()
                self.stdout.write(f"{task.name}: eingereiht")
