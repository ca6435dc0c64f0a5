# Settings are split by environment:
#   base.py        shared by every environment
#   dev.py         local development (manage.py's default)
#   production.py  what wsgi.py / asgi.py load on the servers
# Select one with DJANGO_SETTINGS_MODULE or --settings.
