#!/usr/bin/env python
"""Command-line entry point for the mysite example project.

Local commands default to the development settings; pass --settings (or set
DJANGO_SETTINGS_MODULE) to run them against another module, e.g.

    python manage.py check --deploy --settings mysite.settings.production
"""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Django is not importable. Install the pinned version with "
            "'pip install -r requirements.txt' inside a virtual environment."
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
