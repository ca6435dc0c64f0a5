# DJG103 fire: @method_decorator(csrf_exempt) applied to dispatch() of a view that defines post().
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .forms import ContactForm


class ContactView(View):
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, "shop/contact.html", {"form": ContactForm()})

    def post(self, request):
        form = ContactForm(request.POST)
        if not form.is_valid():
            return render(request, "shop/contact.html", {"form": form}, status=400)
        form.send_email()
        return HttpResponse("Thanks!")
