// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubitestreply.h"

using namespace Qt::StringLiterals;

/*!
    \class MusubiTestReply
    \inmodule MusubiTesting
    \inheaderfile musubitestreply.h
    \brief What a MusubiTestStore command handler answers (docs/protocol.md §10.3).

    A handler returns one of:
    \list
    \li ok(response): \c{{"status":"ok","response":response}} (Elixir
        \c{{:reply, map, socket}}); a QJsonObject converts implicitly to this;
    \li noReply(): \c{{"status":"ok","response":{}}} (Elixir
        \c{{:noreply, socket}}; never \c null);
    \li error(reason): \c{{"status":"error","response":{"reason":reason}}};
    \li errorResponse(object): \c{{"status":"error","response":object}} for
        arbitrary error bodies;
    \li crash(): no reply at all: the root's channel crashes with
        \c phx_error, exactly as a raising Elixir handler does. Throwing any
        C++ exception from a handler has the same effect.
    \endlist

    \sa {MusubiTestStore-onCommand}{MusubiTestStore::onCommand()}
*/

/*!
    \enum MusubiTestReply::Kind

    What the channel answers.

    \value Ok An ok reply with response().
    \value Error An error reply with response().
    \value Crash No reply: the root's channel crashes.
*/

/*!
    \fn MusubiTestReply::Kind MusubiTestReply::kind() const

    Returns what the channel answers.
*/

/*!
    \fn MusubiTestReply::MusubiTestReply()

    Constructs an ok reply with an empty object (same as noReply()).
*/

/*!
    \fn MusubiTestReply::MusubiTestReply(const QJsonObject &response)

    Constructs an ok reply with \a response; lets handlers simply \c{return QJsonObject{...};}.
*/

/*!
    \fn QJsonObject MusubiTestReply::response() const

    Returns the reply's response object (the crash reason under \c "reason" for Crash).
*/

/*!
    Returns an ok reply carrying \a response.
*/
MusubiTestReply MusubiTestReply::ok(const QJsonObject &response)
{
    return MusubiTestReply(response);
}

/*!
    Returns an ok reply with \c{{}} (what a \c{{:noreply, socket}} handler produces).
*/
MusubiTestReply MusubiTestReply::noReply()
{
    return MusubiTestReply();
}

/*!
    Returns an error reply \c{{"reason": reason}} with the given \a reason.
*/
MusubiTestReply MusubiTestReply::error(const QString &reason)
{
    return errorResponse(QJsonObject{{u"reason"_s, reason}});
}

/*!
    Returns an error reply whose response is \a response verbatim.
*/
MusubiTestReply MusubiTestReply::errorResponse(const QJsonObject &response)
{
    MusubiTestReply reply(response);
    reply.m_kind = Kind::Error;
    return reply;
}

/*!
    Returns no reply: the channel dies with \c phx_error (\a why is only logged).
*/
MusubiTestReply MusubiTestReply::crash(const QString &why)
{
    MusubiTestReply reply(QJsonObject{{u"reason"_s, why}});
    reply.m_kind = Kind::Crash;
    return reply;
}
