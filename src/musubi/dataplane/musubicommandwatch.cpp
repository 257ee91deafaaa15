// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubicommandwatch_p.h"

#include "musubicommanderror.h"

using namespace Qt::StringLiterals;

namespace Musubi::detail {

QVariantMap commandErrorToVariant(const MusubiCommandError &error)
{
    return {
            {u"kind"_s, error.kindName()},
            {u"code"_s,
             error.code().isNull() ? QVariant::fromValue(nullptr) : QVariant(error.code())},
            {u"message"_s, error.message()},
            {u"command"_s, error.command()},
            {u"storeId"_s, error.storeId().toVariantList()},
            {u"reply"_s, error.reply().isUndefined() ? QVariant() : error.reply().toVariant()},
    };
}

QVariantMap commandErrorToVariant(const QString &command, const QString &message)
{
    return {
            {u"kind"_s, MusubiCommandError::kindName(MusubiCommandError::Kind::Failed)},
            {u"code"_s, QVariant::fromValue(nullptr)},
            {u"message"_s, message},
            {u"command"_s, command},
            {u"storeId"_s, QVariantList()},
            {u"reply"_s, QVariant()},
    };
}

} // namespace Musubi::detail
