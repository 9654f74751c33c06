"""Admission control's policy, fed measurements and a fake clock (seconds): no server, no asyncio."""

from __future__ import annotations

from server.services.capacity import AdmissionLimits, AdmissionPolicy, p95

TARGET = 900.0


def policy(**limits: float) -> AdmissionPolicy:
    return AdmissionPolicy(AdmissionLimits(gap_target_ms=TARGET, cores=2, **limits))  # type: ignore[arg-type]


def steady(p: AdmissionPolicy, sessions: int, cpu_per_s: float, seconds: int = 30, start: float = 0.0) -> float:
    """Sample ``sessions`` live for ``seconds`` at ``cpu_per_s`` cores; return the time reached."""
    for second in range(seconds + 1):
        p.sample(start + second, cpu_per_s * (start + second), sessions)
    return start + seconds


def test_an_idle_node_admits() -> None:
    decision = policy().decide(0.0, 0)
    assert decision.admitted and decision.reason == ""


def test_off_admits_whatever_the_load() -> None:
    p = AdmissionPolicy(AdmissionLimits(gap_target_ms=0))
    for i in range(20):
        p.reply(i, 5000.0)
        p.loop_lag(i, 2000.0)
    assert p.decide(20.0, 500).admitted


def test_slow_replies_refuse_and_the_refusal_fades_with_the_window() -> None:
    p = policy()
    for i in range(10):
        p.reply(float(i), 400.0)  # >= 0.35 of 900 ms
    decision = p.decide(10.0, 5)
    assert not decision.admitted and decision.rule == "reply"
    assert "400 ms" in decision.reason and "try again in a minute" in decision.reason
    assert p.decide(45.0, 5).admitted  # 30 s later those replies no longer count


def test_too_few_replies_are_not_trusted() -> None:
    p = policy()
    for i in range(4):
        p.reply(float(i), 2000.0)
    assert p.decide(4.0, 2).admitted


def test_queue_wait_and_loop_lag_refuse() -> None:
    waits = policy()
    waits.queue_wait(1.0, 300.0)
    assert waits.decide(2.0, 3).rule == "queue"
    lags = policy()
    for i in range(40):
        lags.loop_lag(i * 0.05, 120.0 if i % 10 == 0 else 1.0)  # one tick in ten lags 120 ms: the p95
    assert lags.decide(2.0, 3).rule == "loop_lag"


def test_cpu_scaled_to_one_more_session() -> None:
    p = policy()
    now = steady(p, sessions=9, cpu_per_s=1.5)  # 1/6 core per session; 10 would need 1.67 of 2 cores
    assert p.decide(now, 9).admitted
    p = policy()
    now = steady(p, sessions=10, cpu_per_s=1.6)  # 11 would need 1.76 > 0.85 * 2
    decision = p.decide(now, 10)
    assert decision.rule == "cpu" and "1.76 of 2 cores" in decision.reason


def test_a_burst_is_taken_a_few_at_a_time() -> None:
    p = policy()
    for i in range(4):
        assert p.decide(i * 0.1, i).admitted
        p.admitted(i * 0.1)
    assert p.decide(0.5, 4).rule == "ramp"
    assert p.decide(11.0, 4).admitted  # their load has had time to show


def test_the_ramp_grows_with_the_sessions_live() -> None:
    p = policy()
    for i in range(7):
        p.admitted(float(i))
    assert p.decide(7.0, 40).admitted  # 25 % of 40 = 10 per 10 s


def test_reasons_fit_a_close_frame() -> None:
    p = policy()
    for i in range(10):
        p.reply(float(i), 123456.0)
    reason = p.decide(10.0, 1000).reason
    assert len(reason.encode()) <= 123  # RFC 6455: a close reason is at most 123 bytes


def test_state_reports_the_figures() -> None:
    p = policy()
    now = steady(p, sessions=4, cpu_per_s=0.5)
    p.reply(now, 250.0)
    p.queue_wait(now, 12.0)
    state = p.state(now)
    assert state["reply_p95_ms"] == 250.0 and state["queue_wait_p95_ms"] == 12.0
    assert state["cpu_cores_used"] == 0.5 and state["replies"] == 1


def test_p95_nearest_rank() -> None:
    assert p95([]) == 0.0
    assert p95([float(v) for v in range(1, 101)]) == 95.0
