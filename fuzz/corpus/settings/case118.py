# MIDDLEWARE with Security+XFrameOptions+CsrfView+Session (plus filler)

urlpatterns = []
