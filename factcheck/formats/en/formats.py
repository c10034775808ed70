"""One way of writing dates in the admin, whatever the English locale says: ISO 8601
(2020-01-08, 2020-01-08 14:30), as the date widgets write them and the API writes them."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
# A moment names its zone (the newsroom's, TIME_ZONE): 2020-01-07 20:00 EST.
DATETIME_FORMAT = "Y-m-d H:i T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
# Input: Django's English formats, whose first (the one the date widgets write) is ISO.
