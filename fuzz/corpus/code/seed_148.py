# DJG108 fire: a DRF APIView loads YAML from request.data with an unsafe Loader in a self.parse_config() method.
import yaml
from rest_framework.response import Response
from rest_framework.views import APIView


class ImportConfigView(APIView):
    def post(self, request):
        config = self.parse_config(request.data["config"])
        return Response({"keys": sorted(config)})

    def parse_config(self, text):
        return yaml.load(text, Loader=yaml.FullLoader)
