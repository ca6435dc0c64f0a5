# DJG105 fire: accounts/urls_utils.py returns a URL built from its argument; the view passes ?next= and redirects to the result.
from django.http import HttpResponseRedirect

from .urls_utils import with_status


def payment_done(request):
    next_url = request.GET.get("return_to", "/orders/")
    return HttpResponseRedirect(with_status(next_url, "paid"))
