"""Object-level permissions of answers: a person works only with answers to cases they may see."""

from wagtail.permission_policies import ModelPermissionPolicy


class AnswerPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action == "add":
            return False  # an answer is started from its case, never on its own
        return super().user_has_permission(user, action)

    def _sees(self, user, instance):
        from newsroom.models import Case

        return Case.objects.visible_to(user).filter(pk=instance.case_id).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            action != "add"
            and self.user_has_permission(user, action)
            and self._sees(user, instance)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        from newsroom.models import Answer, Case

        if not any(self.user_has_permission(user, action) for action in actions if action != "add"):
            return Answer.objects.none()
        return Answer.objects.filter(case__in=Case.objects.visible_to(user).values("pk"))
