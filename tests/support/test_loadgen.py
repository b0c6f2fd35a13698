"""The load generator's protocol pieces, without a server: message cache, widget moves, parsing."""

import random

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.support.loadgen import MessageCache, Visit, Widget, _percentile, _user_key, _widget_from


def _delta(hash_: str, text: str, cacheable: bool = True) -> tuple[ForwardMsg, bytes]:
    msg = ForwardMsg()
    msg.hash = hash_
    msg.metadata.cacheable = cacheable
    msg.delta.new_element.markdown.body = text
    return msg, msg.SerializeToString()


def _ref(hash_: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.ref_hash = hash_
    msg.metadata.delta_path.extend([0, 3])
    return msg


class TestMessageCache:
    def test_basic(self):
        cache = MessageCache()
        msg, payload = _delta("h1", "a big chart")
        assert cache.process(msg, payload) is msg
        assert cache.hashes() == ["h1"]
        full = cache.process(_ref("h1"), b"")
        assert full.delta.new_element.markdown.body == "a big chart"
        assert list(full.metadata.delta_path) == [0, 3]  # the reference's position, not the original's
        assert cache.hits == 1

    def test_only_cacheable_messages_are_stored(self):
        cache = MessageCache()
        cache.process(*_delta("h1", "small", cacheable=False))
        assert cache.hashes() == []

    def test_entries_expire_after_max_age_unused_runs(self):
        cache = MessageCache()
        cache.process(*_delta("old", "x"))
        cache.process(*_delta("used", "y"))
        for _ in range(2):  # age 2 is still kept with max_age=2 (the frontend's rule: age > max)
            cache.finished_run(max_age=2)
            cache.process(_ref("used"), b"")
        assert sorted(cache.hashes()) == ["old", "used"]
        cache.finished_run(max_age=2)
        assert cache.hashes() == ["used"]

    def test_fragment_runs_only_age_their_own_messages(self):
        cache = MessageCache()
        msg, _ = _delta("frag", "x")
        msg.delta.fragment_id = "f1"
        cache.process(msg, msg.SerializeToString())
        cache.process(*_delta("main", "y"))
        for _ in range(5):
            cache.finished_run(max_age=0, fragment_ids=["other"])
        assert sorted(cache.hashes()) == ["frag", "main"]
        cache.finished_run(max_age=0, fragment_ids=["f1"])
        assert cache.hashes() == ["main"]

    def test_a_reference_to_an_unknown_message_is_an_error(self):
        with pytest.raises(RuntimeError, match="miss"):
            MessageCache().process(_ref("nope"), b"")


class TestWidgets:
    def test_slider_from_its_delta(self):
        msg = ForwardMsg()
        s = msg.delta.new_element.slider
        s.id, s.min, s.max, s.step, s.data_type, s.type = "$$ID-abc-price", 1, 300, 0.5, s.FLOAT, s.SLIDER
        s.default.append(50)
        s.query_param_key = "price"
        w = _widget_from(msg.delta.new_element)
        assert (w.key, w.kind, w.value, w.is_int, w.query_param) == ("price", "slider", 50.0, False, "price")
        s.value.append(60)
        s.set_value = True
        assert _widget_from(msg.delta.new_element).value == 60.0  # the URL's value, not the default

    def test_select_sliders_and_unbounded_inputs_are_not_moved(self):
        msg = ForwardMsg()
        s = msg.delta.new_element.slider
        s.type = s.SELECT_SLIDER
        s.default.append(2)
        assert _widget_from(msg.delta.new_element) is None
        msg = ForwardMsg()
        msg.delta.new_element.number_input.has_min = False
        assert _widget_from(msg.delta.new_element) is None

    def test_moves_stay_on_the_grid_and_in_range(self):
        rng = random.Random(0)
        w = Widget("id", "k", "slider", 1.0, 3.0, 0.5, 1.0, False, "k")
        for _ in range(200):
            w.value = w.moved(rng)
            assert 1.0 <= w.value <= 3.0
            assert (w.value - 1.0) / 0.5 == pytest.approx(round((w.value - 1.0) / 0.5))
        n = Widget("id", "n", "number_input", 0, 10, 1, 5, True, "")
        assert all(float(n.moved(rng)).is_integer() for _ in range(50))

    def test_widget_state_protos(self):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        ws = WidgetState()
        Widget("a", "a", "slider", 0, 1, 0.1, 0.3, False, "").state(ws)
        assert list(ws.double_array_value.data) == [0.3]
        ws = WidgetState()
        Widget("b", "b", "number_input", 0, 9, 1, 4, True, "").state(ws)
        assert ws.int_value == 4

    def test_user_key(self):
        assert _user_key("$$ID-0123abcd-unit_cost") == "unit_cost"
        assert _user_key("$$ID-0123abcd-lr-finder-key") == "lr-finder-key"
        assert _user_key("$$ID-0123abcd-None") == "None"
        assert _user_key("plain") == ""


def test_percentile():
    values = list(range(1, 101))
    assert _percentile(values, 50) == 50
    assert _percentile(values, 95) == 95
    assert _percentile([7.0], 95) == 7.0


@pytest.mark.parametrize("url", ["http://example.com:8501", "http://10.0.0.5:8501", "http://0.0.0.0:80"])
def test_load_goes_only_to_loopback(url):
    with pytest.raises(ValueError, match="loopback"):
        Visit(url, "/pricing")


@pytest.mark.parametrize("url", ["http://127.0.0.1:8501", "http://localhost:1", "http://[::1]:8501"])
def test_loopback_is_accepted(url):
    assert Visit(url, "pricing").page == "/pricing"
