# DJG105 pass: the redirect target is produced by reverse(), so it is always a path on this site.
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse


def order_created(request, order_id):
    return redirect(reverse("shop:order-detail", args=[order_id]))


def after_signup(request):
    plan = request.GET.get("plan", "free")
    return HttpResponseRedirect(reverse("accounts:welcome", kwargs={"plan": plan}))
