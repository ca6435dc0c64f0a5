# DJG105 fire: a class-based View redirects to self.request.POST["next"] returned by a self.get_success_url() method.
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.views import View


class LoginView(View):
    def get(self, request):
        return render(request, "accounts/login.html", {"form": AuthenticationForm()})

    def post(self, request):
        form = AuthenticationForm(request, data=request.POST)
        if not form.is_valid():
            return render(request, "accounts/login.html", {"form": form})
        login(request, form.get_user())
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.request.POST.get("next", "/dashboard/")
