"""The library of walkthrough tools: read by everyone, copied and adapted by coaches and admins."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import role_required
from ..extensions import db
from ..forms import commit_or_show_errors
from . import STAFF, bp, tools
from .forms import ToolForm
from .models import WalkTool


@bp.route("/tools")
@role_required(*STAFF)
def tool_library():
    return render_template(
        "walks/tools.html", listed=tools.tools_in_use(), can_copy=tools.can_copy(current_user), can_edit=tools.can_edit
    )


@bp.route("/tools/<int:tool_id>/copy", methods=["POST"])
def copy_tool(tool_id: int):
    tool = db.get_or_404(WalkTool, tool_id)
    if not tools.can_copy(current_user):
        abort(403)
    copied = tools.copy_tool(tool=tool, actor=current_user)
    db.session.commit()
    flash("Your copy is ready to adapt. Walks already planned keep their look-fors.", "success")
    return redirect(url_for("walks.edit_tool", tool_id=copied.id))


@bp.route("/tools/<int:tool_id>/edit", methods=["GET", "POST"])
def edit_tool(tool_id: int):
    tool = db.get_or_404(WalkTool, tool_id)
    if not tools.can_edit(current_user, tool):
        abort(403)
    form = ToolForm(obj=tool)
    if not form.is_submitted():
        form.look_fors.data = "\n".join(item["text"] for item in tool.look_fors)
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: tools.update_tool(
            tool=tool,
            actor=current_user,
            name=form.name.data,
            purpose=form.purpose.data or "",
            goal=form.goal.data or "",
            look_fors=form.look_fors.data,
        ),
    ):
        flash("Tool saved.", "success")
        return redirect(url_for("walks.tool_library"))
    return render_template("walks/tool_edit.html", form=form, tool=tool), 422 if form.errors else 200
