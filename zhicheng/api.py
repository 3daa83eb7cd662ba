"""The JSON API (django-ninja): OpenAPI schema at /api/openapi.json, docs at /api/docs."""

from ninja import NinjaAPI

from zhicheng.eligibility.api import router as policy_router

api = NinjaAPI(
    title="智称 Zhicheng API",
    version="1",
    description="职称申报与评审管理服务平台的接口。政策引擎的输入输出见 POLICY_API。",
    urls_namespace="api",
)
api.add_router("/v1/policy/", policy_router)
