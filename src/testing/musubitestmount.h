// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QVariantMap>

/*!
    \class MusubiTestMount
    \brief Describes one mount request handed to a root factory.

    \c instanceId is the caller-chosen id of the mount (the wire's \c id field);
    \c rootId is always \c{"<module>:<instanceId>"} (both profiles, B2/B3 composition).
    \c connectParams are the socket's connect params (query string of the
    WebSocket URL, \c vsn removed). \c topic is the channel the mount arrived on
    (\c musubi:connection or \c{musubi:connection:<rootId>}).

    \sa MusubiTestServer::registerRoot()
*/
struct MUSUBI_TESTING_EXPORT MusubiTestMount
{
    QString module;
    QString instanceId;
    QString rootId;
    QJsonObject params;
    QVariantMap connectParams;
    QString topic;
    int connectionId = -1;
};
