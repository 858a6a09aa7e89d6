"""The sign-up form: allauth's, answering alike whether or not the address has an account.

allauth hides a taken address at sign-up only when e-mail verification is mandatory;
with `optional` (mutua's default) or `none` it refuses the address on the spot, so anyone
could learn who uses the site by trying addresses. Here every sign-up ends on the same
"we have sent you an e-mail" page: a new address gets its account and a confirmation
link, a taken one gets no account and an e-mail telling its owner that someone tried
(with a link to reset the password). Whoever signed up for a new account may still sign
in with their password at once unless verification is mandatory.
"""

from __future__ import annotations

from typing import Any

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.utils import complete_signup, get_next_redirect_url, perform_login
from allauth.core.exceptions import ImmediateHttpResponse
from django.http import HttpRequest, HttpResponseBase

from mutua.people.selectors import user_by_email


class SignupForm(AllauthSignupForm):  # type: ignore[misc]
    def validate_unique_email(self, value: str) -> str:
        # Never a form error for a taken address: try_save answers as for a new one.
        self.account_already_exists = user_by_email(value) is not None
        return value

    def try_save(self, request: HttpRequest) -> tuple[Any, HttpResponseBase]:
        # Both branches go through allauth's login with verification required for this one
        # step, which sends the e-mail (a confirmation, or "you already have an account")
        # and answers with the same page and the same message.
        email = self.cleaned_data["email"]
        mandatory = EmailVerificationMethod.MANDATORY
        try:
            if self.account_already_exists:
                return None, perform_login(
                    request, None, email_verification=mandatory, signup=True, email=email
                )
            user = self.save(request)
            return user, complete_signup(request, user, mandatory, get_next_redirect_url(request))
        except ImmediateHttpResponse as stopped:
            return None, stopped.response
