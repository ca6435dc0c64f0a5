from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(max_length=100)
    page = forms.IntegerField(min_value=1, required=False)
