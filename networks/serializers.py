from rest_framework import serializers

from catalogue.serializers import (
    ApiUrlField,
    DomainSummarySerializer,
    HtmlUrlField,
    PageLinkMixin,
    ProviderSummarySerializer,
)
from networks.models import Event, Membership, Network


class MembershipSerializer(serializers.ModelSerializer):
    organisation = ProviderSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = ["organisation", "person_name", "role"]


class NetworkSerializer(PageLinkMixin, serializers.ModelSerializer):
    url = ApiUrlField("network-detail")
    html_url = HtmlUrlField()
    domain = DomainSummarySerializer(read_only=True)
    coordinator = ProviderSummarySerializer(read_only=True, allow_null=True)
    members = MembershipSerializer(source="memberships", many=True, read_only=True)
    components = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )

    class Meta:
        model = Network
        fields = [
            "url",
            "html_url",
            "slug",
            "name",
            "description",
            "domain",
            "coordinator",
            "contact_email",
            "website_url",
            "members",
            "components",
            "updated_at",
        ]


class EventSerializer(serializers.ModelSerializer):
    url = ApiUrlField("event-detail")
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Event
        fields = [
            "url",
            "slug",
            "network",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "precision",
            "timezone",
            "location",
            "online_url",
            "languages",
            "registration_url",
            "recording_url",
            "updated_at",
        ]
