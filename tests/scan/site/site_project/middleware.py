"""A minimal Content-Security-Policy middleware for Django 5.2.

Django 6.0 ships ``django.middleware.csp``; 5.2 does not, so the test site
adds the header itself from the SCAN_CSP setting.
"""
from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "SCAN_CSP", "")
        if policy:
            header = (
                "Content-Security-Policy-Report-Only"
                if getattr(settings, "SCAN_CSP_REPORT_ONLY", False)
                else "Content-Security-Policy"
            )
            if header not in response.headers:
                response.headers[header] = policy
        return response
