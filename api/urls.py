from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import DefaultRouter

from .auth import TokenView
from .awards import AwardDecisionViewSet, NominationViewSet
from .citizens import CitizenViewSet
from .criteria import CriteriaSetViewSet
from .decisions import DecisionViewSet
from .documents import DocumentViewSet
from .evaluations import EvaluationViewSet
from .network import AreaYearViewSet, AssociationViewSet, AssociationYearViewSet
from .registry import ClanViewSet, HouseholdViewSet, OrganisationViewSet
from .stats import FiguresView
from .views import UnitViewSet, VillageViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("villages", VillageViewSet, basename="village")
router.register("households", HouseholdViewSet, basename="household")
router.register("citizens", CitizenViewSet, basename="citizen")
router.register("clans", ClanViewSet, basename="clan")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("associations", AssociationViewSet, basename="association")
router.register("association-years", AssociationYearViewSet, basename="association-year")
router.register("area-years", AreaYearViewSet, basename="area-year")
router.register("criteria-sets", CriteriaSetViewSet, basename="criteria-set")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("documents", DocumentViewSet, basename="document")
router.register("award-nominations", NominationViewSet, basename="award-nomination")
router.register("award-decisions", AwardDecisionViewSet, basename="award-decision")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("statistics/figures/", FiguresView.as_view(), name="statistics-figures"),
    path("", include(router.urls)),
]
