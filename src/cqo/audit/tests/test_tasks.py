from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import cache

from cqo.accounts.models import User
from cqo.audit.services import audit_record
from cqo.audit.tasks import LAST_RESULT_KEY, audit_chain_check

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("CQO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def test_the_chain_check_job_records_its_result() -> None:
    user = User.objects.create_user("job-user", password="long enough 123")
    audit_record(actor=user, action="test.job", obj=user)
    result = audit_chain_check()
    assert result["intact"] is True
    assert result["events"] == 1
    assert cache.get(LAST_RESULT_KEY)["intact"] is True


@pytest.mark.redis
def test_a_real_job_runs_through_the_local_redis_queue() -> None:
    if not _redis_answers():
        if os.environ.get("CQO_REQUIRE_REDIS") == "1":
            pytest.fail(f"CI requires Redis at {REDIS_URL} and it does not answer")
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    from huey import RedisHuey

    huey = RedisHuey(f"cqo-test-{uuid.uuid4().hex}", url=REDIS_URL, immediate=False)
    try:
        job = huey.task()(audit_chain_check)
        user = User.objects.create_user("redis-user", password="long enough 123")
        audit_record(actor=user, action="test.redis", obj=user)

        pending = job()
        assert huey.pending_count() == 1
        task = huey.dequeue()
        assert task is not None
        huey.execute(task)
        result = pending.get(blocking=True, timeout=5)
        assert result["intact"] is True and result["events"] == 1
        assert huey.pending_count() == 0
    finally:
        huey.storage.flush_all()
