// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

class MUSUBI_TESTING_EXPORT MusubiTestReply
{
public:
    enum class Kind { Ok, Error, Crash };

    MusubiTestReply() = default;
    MusubiTestReply(const QJsonObject &response)
        : m_response(response)
    { }

    static MusubiTestReply ok(const QJsonObject &response = {});
    static MusubiTestReply noReply();
    static MusubiTestReply error(const QString &reason);
    static MusubiTestReply errorResponse(const QJsonObject &response);
    static MusubiTestReply crash(const QString &why = {});

    Kind kind() const { return m_kind; }
    QJsonObject response() const { return m_response; }

    friend bool operator==(const MusubiTestReply &, const MusubiTestReply &) = default;

private:
    Kind m_kind = Kind::Ok;
    QJsonObject m_response;
};
