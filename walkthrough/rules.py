"""The one exception services raise when a request breaks a rule of the product."""


class RuleViolation(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
