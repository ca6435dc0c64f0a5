# MIDDLEWARE as a tuple

urlpatterns = []
