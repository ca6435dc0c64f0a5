from django.db import models


class Order(models.Model):
    reference = models.CharField(max_length=32, unique=True)
    status = models.CharField(max_length=20, default="new")
