// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

/*!
    \class MusubiTestReply
    \brief What a MusubiTestStore command handler answers (docs/protocol.md §10.3).

    A handler returns one of:
    \list
    \li ok(response) — \c{{"status":"ok","response":response}} (Elixir \c{{:reply, map, socket}});
        a QJsonObject converts implicitly to this;
    \li noReply() — \c{{"status":"ok","response":{}}} (Elixir \c{{:noreply, socket}}; never \c
   null); \li error(reason) — \c{{"status":"error","response":{"reason":reason}}}; \li
   errorResponse(object) — \c{{"status":"error","response":object}} for arbitrary error bodies; \li
   crash() — no reply at all: the root's channel crashes with \c phx_error, exactly as a raising
   Elixir handler does. Throwing any C++ exception from a handler has the same effect. \endlist

    \sa MusubiTestStore::onCommand()
*/
class MUSUBI_TESTING_EXPORT MusubiTestReply
{
public:
    enum class Kind { Ok, Error, Crash };

    //! An ok reply with an empty object (same as noReply()).
    MusubiTestReply() = default;
    //! An ok reply with \a response; lets handlers simply \c{return QJsonObject{...};}.
    MusubiTestReply(const QJsonObject &response)
        : m_response(response)
    { }

    //! An ok reply carrying \a response.
    static MusubiTestReply ok(const QJsonObject &response = {});
    //! An ok reply with \c{{}} (what a \c{{:noreply, socket}} handler produces).
    static MusubiTestReply noReply();
    //! An error reply \c{{"reason": reason}}.
    static MusubiTestReply error(const QString &reason);
    //! An error reply whose response is \a response verbatim.
    static MusubiTestReply errorResponse(const QJsonObject &response);
    //! No reply; the channel dies with \c phx_error (\a why is only logged).
    static MusubiTestReply crash(const QString &why = {});

    Kind kind() const { return m_kind; }
    //! The reply's response object (the crash reason under \c "reason" for Crash).
    QJsonObject response() const { return m_response; }

    friend bool operator==(const MusubiTestReply &, const MusubiTestReply &) = default;

private:
    Kind m_kind = Kind::Ok;
    QJsonObject m_response;
};
