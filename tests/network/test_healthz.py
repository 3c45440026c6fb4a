import pytest
from channels.layers import channel_layers


@pytest.fixture
def reset_channel_layers():
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.mark.django_db
def test_healthz_reports_every_part_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "channel_layer": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_names_an_unreachable_redis_cache_with_503(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["cache"] == "down"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_names_an_unreachable_channel_layer_with_503(
    client, settings, reset_channel_layers
):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "channel_layer": "down", "cache": "ok"}


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_is_ok_with_the_real_redis(client):
    response = client.get("/healthz")

    assert response.json() == {"database": "ok", "channel_layer": "ok", "cache": "ok"}
