# DJG106 fire: a DRF APIView passes request.data to a self.run_ping() method that uses subprocess.run(shell=True).
import subprocess

from rest_framework.response import Response
from rest_framework.views import APIView


class PingView(APIView):
    def post(self, request):
        host = request.data.get("host", "")
        result = self.run_ping(host)
        return Response({"returncode": result.returncode, "output": result.stdout})

    def run_ping(self, host):
        return subprocess.run(f"ping -c 3 {host}", shell=True, capture_output=True, text=True)
