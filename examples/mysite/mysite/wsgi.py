"""WSGI callable used by the production application server (gunicorn, uWSGI...).

Deployed processes load the production settings unless the environment says
otherwise.
"""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")

application = get_wsgi_application()
