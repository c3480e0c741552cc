from app.core.compare.match import path_template, same_endpoint


def test_ids_become_placeholders_and_the_query_is_ignored():
    assert path_template("https://API.example.com/orders/123?x=1") == "api.example.com/orders/{id}"
    assert path_template("http://h:8080/u/3fa85f64-5717-4562-b3fc-2c963f66afa6/items") == "h:8080/u/{id}/items"
    assert path_template("http://h/o/ord_8f3a2c91") == "h/o/{id}"
    assert path_template("http://h/orders") == "h/orders"


def test_same_endpoint_needs_the_same_method_and_template():
    assert same_endpoint("get", "http://h/orders/1", "GET", "http://h/orders/2?page=3")
    assert not same_endpoint("GET", "http://h/orders/1", "DELETE", "http://h/orders/1")
    assert not same_endpoint("GET", "http://h/orders/1", "GET", "http://other/orders/1")
    assert not same_endpoint("GET", "http://h/orders", "GET", "http://h/orders/1")


def test_an_unreadable_url_is_compared_as_text():
    assert path_template("http://h:99999999/x?y") == "http://h:99999999/x"
