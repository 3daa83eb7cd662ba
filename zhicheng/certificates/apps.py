from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """Results and e-certificates: the result publicity (结果公示) and its objections, the city
    office's publication, electronic certificates (PDF with a QR code) and public verification."""

    name = "zhicheng.certificates"
    label = "certificates"
    verbose_name = "评审结果与电子证书"

    def ready(self) -> None:
        from zhicheng.certificates import permissions  # noqa: F401  (registers rules)
