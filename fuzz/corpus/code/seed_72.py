from django.db import models


class Product(models.Model):
    sku = models.CharField(max_length=40, unique=True)
    stock = models.PositiveIntegerField(default=0)
