from enum import StrEnum


class GlucometerPayloadMealContextType0(StrEnum):
    AFTER_MEAL = "after_meal"
    BEDTIME = "bedtime"
    BEFORE_MEAL = "before_meal"
    FASTING = "fasting"
    RANDOM = "random"

    def __str__(self) -> str:
        return str(self.value)
