# SecurityMiddleware listed twice

urlpatterns = []
