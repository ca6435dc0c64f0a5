# a project-local SecurityMiddleware subclass instead of the real one

urlpatterns = []
