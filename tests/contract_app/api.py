"""One API write of the test app, written as any domain app's would be: it calls a service and
lets the platform's exception handler shape the refusal."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Nonconformance


class SubmitView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, pk: int) -> Response:
        nc = get_object_or_404(Nonconformance, pk=pk)
        with transaction.atomic():
            nc.status = "submitted"
            nc.save()  # the model layer meets the veto (§6 i)), like an import or a job would
        return Response({"status": nc.status})
