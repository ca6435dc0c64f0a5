from django import forms
from django.core.mail import mail_admins


class ContactForm(forms.Form):
    email = forms.EmailField()
    message = forms.CharField(widget=forms.Textarea)

    def send_email(self):
        mail_admins("Contact form", self.cleaned_data["message"])
