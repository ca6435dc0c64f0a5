from django.db import models


class ClickLog(models.Model):
    url = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
