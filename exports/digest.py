"""The digest: what awaits a directorate, in French, for those who don't open the app; and its mailing.

``digest_text`` lists the open questions addressed to the directorate, its actions overdue and
due within ``HORIZON_DAYS``, and the meetings in that window. ``send_digest`` mails it through
the SMTP server of the ``SIMULATEUR_SMTP_*`` settings, to ``SIMULATEUR_SMTP_TO`` or else to the
e-mails declared for the directorate's people.
"""

from __future__ import annotations

import os
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage

from exports.text import french_date
from simulation.dialogue import ACTION_OPEN, MEETING_KINDS, Action, Comment, Meeting


class DigestError(ValueError):
    """The digest cannot be sent; the message says why, in French."""


HORIZON_DAYS = 14


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None
    password: str | None
    starttls: bool

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], fallback: tuple[str, ...] = ()) -> SmtpSettings:
        host = environ.get("SIMULATEUR_SMTP_HOST", "").strip()
        if not host:
            raise DigestError("Envoi impossible : SIMULATEUR_SMTP_HOST (serveur de messagerie) n'est pas renseigné.")
        port_text = environ.get("SIMULATEUR_SMTP_PORT", "25").strip()
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise DigestError(f"SIMULATEUR_SMTP_PORT invalide « {port_text[:20]} » : un numéro de port est attendu.")
        sender = environ.get("SIMULATEUR_SMTP_FROM", "").strip()
        if not sender:
            raise DigestError("Envoi impossible : SIMULATEUR_SMTP_FROM (adresse d'expédition) n'est pas renseigné.")
        listed = tuple(a.strip() for a in environ.get("SIMULATEUR_SMTP_TO", "").split(",") if a.strip())
        recipients = listed or fallback
        if not recipients:
            raise DigestError(
                "Envoi impossible : aucun destinataire. Renseignez SIMULATEUR_SMTP_TO (adresses séparées par des "
                "virgules) ou déclarez l'adresse des personnes de la direction."
            )
        return cls(
            host,
            int(port_text),
            sender,
            recipients,
            environ.get("SIMULATEUR_SMTP_USER") or None,
            environ.get("SIMULATEUR_SMTP_PASSWORD") or None,
            environ.get("SIMULATEUR_SMTP_STARTTLS", "").strip().lower() in {"1", "oui", "true", "yes"},
        )


def digest_text(
    direction: str, today: date, questions: Sequence[Comment], actions: Sequence[Action], meetings: Sequence[Meeting]
) -> str:
    """The digest of ``direction``: its open ``questions``, its ``actions`` and the ``meetings`` ahead."""
    horizon = today + timedelta(days=HORIZON_DAYS)
    actions = [a for a in actions if a.status == ACTION_OPEN]
    overdue = [a for a in actions if a.overdue(today)]
    due = [a for a in actions if not a.overdue(today) and a.due <= horizon]
    meetings = sorted((m for m in meetings if today <= m.date <= horizon), key=lambda m: m.date)
    lines = [f"À traiter pour la direction {direction} — le {french_date(today)}", ""]
    lines.append(f"Questions ouvertes adressées à {direction} : {len(questions)}")
    lines += [
        f"  - n° {q.id}, opération {q.operation}, de {q.user} ({q.organisation}) le {q.at:%d/%m/%Y} : {q.text}"
        for q in questions
    ]
    lines.append(f"Actions en retard : {len(overdue)}")
    lines += [f"  - n° {a.id}, pour le {a.due:%d/%m/%Y} ({a.owner}) : {a.text}" for a in overdue]
    lines.append(f"Actions à échéance dans les {HORIZON_DAYS} jours : {len(due)}")
    lines += [f"  - n° {a.id}, pour le {a.due:%d/%m/%Y} ({a.owner}) : {a.text}" for a in due]
    lines.append(f"Réunions dans les {HORIZON_DAYS} jours : {len(meetings)}")
    lines += [f"  - {m.date:%d/%m/%Y} : {m.name} ({MEETING_KINDS[m.kind]})" for m in meetings]
    return "\n".join(lines)


def send_digest(text: str, direction: str, settings: SmtpSettings) -> None:
    message = EmailMessage()
    message["Subject"] = f"Simulateur NPNRU — à traiter pour {direction}"
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message.set_content(text)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.user and settings.password:
                smtp.login(settings.user, settings.password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DigestError(
            f"Envoi impossible par {settings.host}:{settings.port} : le serveur de messagerie a refusé ou ne répond pas "
            f"({type(exc).__name__})."
        ) from None


def settings_from_environment(fallback: Sequence[str]) -> SmtpSettings:
    """The ``SIMULATEUR_SMTP_*`` settings; ``fallback``: recipients when ``SIMULATEUR_SMTP_TO`` is empty."""
    return SmtpSettings.from_environment(os.environ, tuple(fallback))
