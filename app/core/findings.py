"""Header findings over a request (as typed/sent) and a response (as received) (owner: findings helper).

CONTRACT:
    def request_findings(request: HttpRequest) -> list[Finding]
    def response_findings(request: HttpRequest, response: HttpResponse, now: float) -> list[Finding]
    def all_findings(request: HttpRequest, response: HttpResponse | None, now: float) -> list[Finding]
Finding ids are a public contract (see issue 2); never rename, only add.
"""
