# MIDDLEWARE with Security+CsrfView (plus filler)

urlpatterns = []
