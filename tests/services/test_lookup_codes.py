"""What a scanned code says (kiosk/services/lookup_codes.py): only the codes each screen expects."""

from kiosk.services.lookup_codes import account_code, order_code, progress_code


def test_a_bills_barcode_is_its_account_number() -> None:
    assert account_code(" 0300 0012 345 ") == "03000012345"
    assert account_code("D0300012345") is None and account_code("123") is None


def test_an_order_slip_qr_carries_number_and_check_code() -> None:
    qr = "https://10.0.0.1:8443/pay/lookup?order_no=DD20261123000001&check=482913"
    assert order_code(qr) == ("DD20261123000001", "482913")
    assert order_code("weixin://wxpay/bizpayurl?pr=ABC") is None  # the wallet's QR is not a slip
    assert order_code("https://x/pay/lookup?order_no=DD1&check=12") is None
    assert order_code("https://x/pay/lookup?order_no=DD20261123000001&check=48291X") is None


def test_an_acceptance_receipt_qr_or_a_bare_number() -> None:
    qr = "https://127.0.0.1/progress?acceptance_no=YS20261028109004&id_last4=0040"
    assert progress_code(qr) == ("YS20261028109004", "0040")
    assert progress_code("https://x/progress?acceptance_no=YS20261028109004") == ("YS20261028109004", None)
    assert progress_code("ys20261028109004") == ("YS20261028109004", None)
    assert progress_code("hello world") is None and progress_code("ABCDEFGHIJ") is None
    assert progress_code("https://x/progress?acceptance_no=<script>") is None
