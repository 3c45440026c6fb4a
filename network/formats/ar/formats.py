# Django's Arabic formats define no DATETIME_FORMAT or SHORT_DATETIME_FORMAT, so dates with a
# time would fall back to the English "N j, Y, P". These follow its DATE_FORMAT, TIME_FORMAT
# and SHORT_DATE_FORMAT (with the right-to-left marks that keep the slashes in order).
DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y g:i A"
