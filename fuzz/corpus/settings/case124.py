# a project-local SecurityMiddleware subclass instead of the real one

from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware


class LocalSecurityMiddleware(SecurityMiddleware):
    pass


class LocalCsrfMiddleware(CsrfViewMiddleware):
    pass
