# Lists of posts and messages show "27 Nov 2026, 18:00": day first and a 24-hour clock, as UN
# documents write dates, rather than the US "11/27/2026 6 p.m." Django ships for English.
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
