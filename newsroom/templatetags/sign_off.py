"""``{% sign_off_findings task_state as findings %}``: the style check's «важно» hints of the
page a workflow step is about, for the approve dialog of ``SignOffTask``."""

from django import template

register = template.Library()


@register.simple_tag
def sign_off_findings(task_state):
    task = task_state.task.specific
    findings_for = getattr(task, "findings_for", None)
    if findings_for is None:
        return []
    return findings_for(task_state.workflow_state.content_object)
