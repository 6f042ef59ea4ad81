"""Flows as data (no Qt): each flow kind is an ordered list of step kinds, and `plan(item)` trims that
list by the item's own data. The UI's one flow runner walks a Plan; one screen per step kind.
"""

from kiosk.services.flows.kinds import (
    BUILT,
    COMMITTING_STEPS,
    FLOW_KINDS,
    FORM_FIELD_TYPES,
    IDENTITY_METHODS,
    OTHER_SCREENS,
    SENDING_STEPS,
    STEP_KINDS,
    Built,
)
from kiosk.services.flows.modes import MODES, step_params, time_scale
from kiosk.services.flows.plan import Plan, PlanError, Step, form_needs_answer, plan

__all__ = ["BUILT", "COMMITTING_STEPS", "FLOW_KINDS", "FORM_FIELD_TYPES", "IDENTITY_METHODS", "MODES",
           "OTHER_SCREENS", "SENDING_STEPS", "STEP_KINDS", "Built", "Plan", "PlanError", "Step", "form_needs_answer", "plan",
           "step_params", "time_scale"]
