from django import forms


class ProductFilterForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    sort = forms.ChoiceField(choices=[("name", "Name"), ("price", "Price")])
