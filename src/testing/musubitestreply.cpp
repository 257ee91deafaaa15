// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubitestreply.h"

using namespace Qt::StringLiterals;

MusubiTestReply MusubiTestReply::ok(const QJsonObject &response)
{
    return MusubiTestReply(response);
}

MusubiTestReply MusubiTestReply::noReply()
{
    return MusubiTestReply();
}

MusubiTestReply MusubiTestReply::error(const QString &reason)
{
    return errorResponse(QJsonObject{{u"reason"_s, reason}});
}

MusubiTestReply MusubiTestReply::errorResponse(const QJsonObject &response)
{
    MusubiTestReply reply(response);
    reply.m_kind = Kind::Error;
    return reply;
}

MusubiTestReply MusubiTestReply::crash(const QString &why)
{
    MusubiTestReply reply(QJsonObject{{u"reason"_s, why}});
    reply.m_kind = Kind::Crash;
    return reply;
}
