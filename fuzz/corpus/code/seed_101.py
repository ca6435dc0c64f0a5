from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next")
    if not candidate or not url_has_allowed_host_and_scheme(
        url=candidate, allowed_hosts={request.get_host()}
    ):
        return "/"
    return candidate
