"""Passwords: at least 12 characters, not common, not all digits, not like the username."""

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize(
    "password",
    ["Tq8#mZ2!vX5", "123456789012345", "password1234", "zhangwei-finance"],
    ids=["eleven characters", "all digits", "common", "like the username"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, User(username="zhangwei-finance"))


def test_twelve_characters_of_no_pattern_are_accepted():
    validate_password("Tq8#mZ2!vX5k", User(username="zhangwei"))
