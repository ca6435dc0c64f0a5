# XFrameOptionsMiddleware spelled xFrameOptionsMiddleware

urlpatterns = []
